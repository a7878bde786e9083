package io.mailtrail.core.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What capture knows about types that belong to frameworks and libraries: which of them must
 * never be read (reading would load data from a database or a mail server) and which are
 * summarised by a few named properties instead of being walked field by field.
 *
 * <p>Core names no framework class itself. The table is declared as data, so that each
 * integration contributes what it knows, the way Micrometer's core knows nothing of Spring:
 * every jar on the class path may carry a {@value #RESOURCE} file (core ships the Jakarta Mail,
 * Activation, Servlet and Hibernate entries; the Spring Boot starter adds Spring's
 * {@code MultipartFile}), and an application can add entries with {@link #builder()}. One line
 * per entry, {@code #} starts a comment:
 *
 * <pre>
 * org.hibernate.proxy.HibernateProxy   opaque
 * org.eclipse.angus.mail.imap.*        opaque
 * jakarta.mail.Message                 summary subject, contentType, size, messageNumber
 * </pre>
 *
 * A plain name matches a value whose class, superclasses or interfaces have that name; a name
 * ending in {@code .*} matches a value whose own class lies in that package or below. Opaque
 * entries win over summaries; among summaries the first entry declared wins (so a file lists
 * {@code Message} before {@code Part}, which every message also is). A line that can not be read
 * is reported once and skipped.
 */
public final class ForeignTypes {

    /** The resource every jar may carry. */
    public static final String RESOURCE = "META-INF/mailtrail/foreign-types";

    private static final System.Logger LOG = System.getLogger(ForeignTypes.class.getName());
    private static final ForeignTypes NONE = new ForeignTypes(List.of());

    private final List<Entry> entries;

    private ForeignTypes(List<Entry> entries) {
        List<Entry> ordered = new ArrayList<>(entries.size());
        entries.stream().filter(Entry::opaque).forEach(ordered::add);
        entries.stream().filter(e -> !e.opaque()).forEach(ordered::add);
        this.entries = List.copyOf(ordered);
    }

    /** No foreign types: every application object is read field by field. */
    public static ForeignTypes none() {
        return NONE;
    }

    /** Every {@value #RESOURCE} visible to {@code loader}, in class-path order. */
    public static ForeignTypes discover(ClassLoader loader) {
        Builder builder = builder();
        try {
            Enumeration<URL> resources = loader == null ? ClassLoader.getSystemResources(RESOURCE)
                    : loader.getResources(RESOURCE);
            while (resources.hasMoreElements()) {
                builder.read(resources.nextElement());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail could not list " + RESOURCE + ": " + e);
        }
        return builder.build();
    }

    /** The table found with the class loader that loaded Mailtrail's core. */
    public static ForeignTypes discovered() {
        return Holder.DISCOVERED;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This table followed by {@code other}'s entries. */
    public ForeignTypes and(ForeignTypes other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new ForeignTypes(all);
    }

    /** How to treat {@code type}, or {@code null} when no entry matches. */
    TypeInfo classify(Class<?> type, Set<String> hierarchy) {
        for (Entry entry : entries) {
            if (entry.matches(type, hierarchy)) {
                return entry.opaque() ? TypeInfo.of(TypeInfo.Kind.OPAQUE) : TypeInfo.summary(type, entry.properties());
            }
        }
        return null;
    }

    /** One declared type: a class name or a {@code package.*}, and how to treat it. */
    private record Entry(String name, boolean opaque, String[] properties) {

        boolean matches(Class<?> type, Set<String> hierarchy) {
            return name.endsWith(".*") ? type.getName().startsWith(name.substring(0, name.length() - 1))
                    : hierarchy.contains(name);
        }
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /** Values of this type (or package, {@code name.*}) are named, never read. */
        public Builder opaque(String name) {
            entries.add(new Entry(requireName(name), true, new String[0]));
            return this;
        }

        /** Values of this type are summarised by these properties (output in snake_case). */
        public Builder summary(String name, String... properties) {
            if (properties.length == 0) {
                throw new IllegalArgumentException("summary of " + name + " names no property");
            }
            entries.add(new Entry(requireName(name), false, properties.clone()));
            return this;
        }

        public ForeignTypes build() {
            return new ForeignTypes(entries);
        }

        private void read(URL url) {
            try (InputStream in = url.openStream();
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    String problem = parse(line);
                    if (problem != null) {
                        LOG.log(System.Logger.Level.WARNING, "Mailtrail skips line " + number + " of " + url + ": "
                                + problem);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Mailtrail could not read " + url + ": " + e);
            }
        }

        /** @return what is wrong with the line, or {@code null} */
        String parse(String line) {
            int comment = line.indexOf('#');
            String text = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (text.isEmpty()) {
                return null;
            }
            String[] words = text.split("\\s+", 3);
            if (words.length >= 2 && words[1].equals("opaque") && words.length == 2) {
                opaque(words[0]);
                return null;
            }
            if (words.length == 3 && words[1].equals("summary")) {
                String[] properties = Arrays.stream(words[2].split(",")).map(String::strip)
                        .filter(p -> !p.isEmpty()).toArray(String[]::new);
                try {
                    summary(words[0], properties);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
            return "expected '<type> opaque' or '<type> summary <property>, …', was '" + text + "'";
        }

        private static String requireName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not a type name: '" + name + "'");
            }
            return name;
        }
    }

    private static final class Holder {
        static final ForeignTypes DISCOVERED = discover(ForeignTypes.class.getClassLoader());
    }
}
