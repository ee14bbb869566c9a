package org.hubsso.it;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Test-only, with {@link TestSupportServlet}: when the node's environment has {@code HUB_TEST_SESSION_MINUTES}, HTTP
 * sessions time out after that many minutes instead of the product's 120, so a soak shorter than two hours still
 * sees sessions end as fast as its clients start them. Without it, nothing changes.
 */
@WebListener
public class TestSessionTimeout implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String minutes = System.getenv("HUB_TEST_SESSION_MINUTES");
        if (minutes != null && !minutes.isBlank() && Integer.parseInt(minutes.trim()) > 0) {
            event.getServletContext().setSessionTimeout(Integer.parseInt(minutes.trim()));
        }
    }
}
