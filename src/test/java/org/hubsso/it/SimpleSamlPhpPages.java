package org.hubsso.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading SimpleSAMLphp's HTML pages (its login form, its auto-posted answer) as a browser does. */
final class SimpleSamlPhpPages {

    private SimpleSamlPhpPages() {
    }

    /** The hidden inputs of a page's form, by name. */
    static Map<String, String> hiddenInputs(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("(?is)<input\\b[^>]*>").matcher(html);
        while (input.find()) {
            String tag = input.group();
            if ("hidden".equalsIgnoreCase(attribute(tag, "type")) && attribute(tag, "name") != null) {
                fields.put(html(attribute(tag, "name")), html(String.valueOf(attribute(tag, "value"))));
            }
        }
        return fields;
    }

    static String attribute(String tag, String name) {
        Matcher m = Pattern.compile("(?is)\\s" + name + "(?:=\"([^\"]*)\"|(?=[\\s/>]))").matcher(tag);
        return m.find() ? (m.group(1) == null ? "" : m.group(1)) : null;
    }

    static String html(String text) {
        return text.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#039;", "'").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#x3d;", "=").replace("&#61;", "=")
                .replace("&#x2f;", "/").replace("&#47;", "/").replace("&#x2b;", "+").replace("&#43;", "+")
                .replace("&amp;", "&");
    }
}
