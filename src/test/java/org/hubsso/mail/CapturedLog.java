package org.hubsso.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The log records of a logger and its children (FINE included) while a test runs, as the server would write them. */
final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    CapturedLog(String name) {
        logger = Logger.getLogger(name);
        level = logger.getLevel();
        logger.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Each record at {@code atLeast} or above as one text: the message, then any exception with its stack trace. */
    List<String> lines(Level atLeast) {
        SimpleFormatter format = new SimpleFormatter();
        List<String> lines = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= atLeast.intValue()) {
                    lines.add(format.format(r));
                }
            }
        }
        return lines;
    }

    String all() {
        return String.join("\n", lines(Level.ALL));
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(level);
    }
}
