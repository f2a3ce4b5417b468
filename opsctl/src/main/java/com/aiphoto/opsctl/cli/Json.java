package com.aiphoto.opsctl.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes maps, collections, strings, numbers, booleans and null as compact JSON. Enough for --json output
 * without putting a JSON library on opsctl's classpath (startup time).
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        switch (value) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Double d when !Double.isFinite(d) -> sb.append("null");
            case Number n -> sb.append(n);
            case Map<?, ?> m -> appendAll(sb, '{', m.entrySet().iterator(), '}');
            case Map.Entry<?, ?> e -> {
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            case Collection<?> c -> appendAll(sb, '[', c.iterator(), ']');
            default -> quote(sb, value.toString());
        }
    }

    private static void appendAll(StringBuilder sb, char open, Iterator<?> items, char close) {
        sb.append(open);
        while (items.hasNext()) {
            append(sb, items.next());
            if (items.hasNext()) {
                sb.append(',');
            }
        }
        sb.append(close);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
