package io.mailtrail.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.mailtrail.spring.boot.autoconfigure.MailtrailProperties;
import io.mailtrail.web.MailtrailWebProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The Java, XML and properties snippets of README.md and docs/*.md are built as a reader would use
 * them, so the docs cannot drift from the code (STYLE.md, "Docs that compile"):
 *
 * <ul>
 *   <li><b>java</b> is compiled with javac against this module's class path (the starter, the web
 *       module, core, the annotations, the aspect, Spring Boot's JDBC and security starters). A
 *       block with a top-level type is a source file as it stands. A block marked
 *       {@code <!-- snippet: fragment -->} (or {@code fragment(String pw, DataSource dataSource)},
 *       naming what the text takes as given) is statements: its leading imports stay imports, the
 *       rest becomes the body of a method with those parameters. A block marked
 *       {@code <!-- snippet: member -->} is members of a class ({@code @Bean} methods). Both get
 *       the imports in {@link #FRAGMENT_IMPORTS}.</li>
 *   <li><b>xml</b> must be well-formed; a {@code <dependency>} on {@code io.mailtrail} must name an
 *       artifact of this build, with the build's version.</li>
 *   <li><b>properties</b>: every {@code mailtrail.*} and {@code spring.*} key must be one that some
 *       module's configuration metadata lists, and the {@code mailtrail.*} values must bind to the
 *       starter's and the web module's property classes.</li>
 * </ul>
 *
 * <p>A block that is deliberately partial says why with {@code <!-- snippet: skip (reason) -->}.
 */
class DocSnippetsTest {

    /** What a fragment or member snippet may use without importing it. */
    static final List<String> FRAGMENT_IMPORTS = List.of("io.mailtrail.core.*", "io.mailtrail.core.writer.*",
            "io.mailtrail.core.postgres.*", "io.mailtrail.core.read.*", "io.mailtrail.annotations.*",
            "io.mailtrail.web.*", "java.time.*", "java.util.*", "javax.sql.DataSource",
            "org.springframework.context.annotation.Bean");

    private static final Path ROOT = Path.of(System.getProperty("mailtrail.root", "..")).toAbsolutePath().normalize();
    private static final Pattern TOP_LEVEL_TYPE =
            Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern FRAGMENT = Pattern.compile("(fragment|member)(?:\\((.*)\\))?");

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everySnippetBuilds() throws IOException {
        List<DocSnippet> snippets = snippets();
        assertThat(snippets).as("snippets found").hasSizeGreaterThan(10);
        return snippets.stream().filter(s -> !s.skipped())
                .map(s -> DynamicTest.dynamicTest(s.language() + " " + s.where(), () -> check(s)));
    }

    @TestFactory
    Stream<DynamicTest> everySkipSaysWhy() throws IOException {
        return snippets().stream().filter(DocSnippet::skipped).map(s -> DynamicTest.dynamicTest("skip " + s.where(),
                () -> assertThat(s.directive()).as(s.where()).matches("skip \\(.{10,}\\)")));
    }

    private void check(DocSnippet snippet) throws Exception {
        switch (snippet.language()) {
            case "java" -> compile(snippet);
            case "xml" -> checkXml(snippet);
            case "properties" -> checkProperties(snippet);
            default -> throw new IllegalArgumentException(snippet.language());
        }
    }

    // ---------------------------------------------------------------- java

    private void compile(DocSnippet snippet) throws IOException {
        String name = "Snippet" + snippet.line();
        String source;
        Matcher fragment = FRAGMENT.matcher(snippet.directive());
        if (fragment.matches()) {
            StringBuilder imports = new StringBuilder();
            FRAGMENT_IMPORTS.forEach(i -> imports.append("import ").append(i).append(";\n"));
            StringBuilder body = new StringBuilder();
            for (String line : snippet.text().split("\n", -1)) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String parameters = fragment.group(2) == null ? "" : fragment.group(2);
            source = imports + "\nclass " + name + " {\n"
                    + (fragment.group(1).equals("fragment")
                            ? "    void run(" + parameters + ") throws Exception {\n" + body + "\n    }\n"
                            : body)
                    + "}\n";
        } else {
            Matcher type = TOP_LEVEL_TYPE.matcher(snippet.text());
            if (!type.find()) {
                fail(snippet.where() + ": a java snippet without a public top-level type needs"
                        + " <!-- snippet: fragment -->, <!-- snippet: member --> or <!-- snippet: skip (why) -->");
            }
            name = type.group(1);
            source = snippet.text();
        }
        Path dir = Files.createDirectories(work.resolve("s" + snippet.line() + "-" + Math.abs(snippet.page().hashCode())));
        Path file = Files.writeString(dir.resolve(name + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(),
                            "-proc:none", "-Xlint:none", "-parameters"),
                    null, files.getJavaFileObjects(file)).call();
            if (!ok) {
                StringBuilder report = new StringBuilder(snippet.where() + " does not compile:\n");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    report.append("  line ").append(d.getLineNumber()).append(": ")
                            .append(d.getMessage(Locale.ROOT)).append('\n');
                }
                fail(report + "as compiled:\n" + source);
            }
        }
    }

    // ---------------------------------------------------------------- xml

    private void checkXml(DocSnippet snippet) throws Exception {
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader("<snippet>" + snippet.text() + "</snippet>")));
        } catch (org.xml.sax.SAXException e) {
            throw new AssertionError(snippet.where() + " is not well-formed XML: " + e.getMessage(), e);
        }
        Build build = Build.read(ROOT);
        NodeList dependencies = document.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if ("io.mailtrail".equals(child(dependency, "groupId"))) {
                String artifact = child(dependency, "artifactId");
                assertThat(build.artifacts()).as(snippet.where() + ": an artifact of this build").contains(artifact);
                assertThat(child(dependency, "version")).as(snippet.where() + ": the version of " + artifact)
                        .isEqualTo(build.version());
            }
        }
        NodeList libraries = document.getElementsByTagName("aspectLibrary");
        for (int i = 0; i < libraries.getLength(); i++) {
            assertThat(build.artifacts()).as(snippet.where() + ": an aspect library of this build")
                    .contains(child((Element) libraries.item(i), "artifactId"));
        }
    }

    private static String child(Element parent, String name) {
        NodeList children = parent.getElementsByTagName(name);
        return children.getLength() == 0 ? null : children.item(0).getTextContent().strip();
    }

    /** The version and the artifact ids of this build, from its POMs. */
    record Build(String version, Set<String> artifacts) {

        static Build read(Path root) throws Exception {
            Document parent = parse(root.resolve("pom.xml"));
            Element project = parent.getDocumentElement();
            Set<String> artifacts = new TreeSet<>();
            NodeList modules = project.getElementsByTagName("module");
            for (int i = 0; i < modules.getLength(); i++) {
                Element module = parse(root.resolve(modules.item(i).getTextContent().strip()).resolve("pom.xml"))
                        .getDocumentElement();
                artifacts.add(direct(module, "artifactId"));
            }
            return new Build(direct(project, "version"), artifacts);
        }

        private static Document parse(Path pom) throws Exception {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        }

        private static String direct(Element element, String name) {
            for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element child && child.getTagName().equals(name)) {
                    return child.getTextContent().strip();
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- properties

    /**
     * A key below a bound property ({@code mailtrail.kafka.properties.compression.type}) is an
     * entry of a map property; whether its value binds is checked below like every other value.
     */
    private static boolean underAMapProperty(String key, Set<String> known) {
        for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
            if (known.contains(key.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }

    private void checkProperties(DocSnippet snippet) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(snippet.text()));
        Set<String> known = knownKeys();
        Map<String, String> mailtrail = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if ((key.startsWith("mailtrail.") || key.startsWith("spring.")) && !known.contains(normalize(key))
                    && !underAMapProperty(normalize(key), known)) {
                fail(snippet.where() + ": '" + key + "' is not a property any module binds");
            }
            if (key.startsWith("mailtrail.")) {
                mailtrail.put(key, properties.getProperty(key));
            }
        }
        Binder binder = new Binder(new MapConfigurationPropertySource(mailtrail));
        try {
            binder.bind("mailtrail", Bindable.of(MailtrailProperties.class));
            binder.bind("mailtrail.web", Bindable.of(MailtrailWebProperties.class));
        } catch (RuntimeException e) {
            StringBuilder causes = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                causes.append("\n  ").append(t.getMessage());
            }
            fail(snippet.where() + ": the values do not bind:" + causes);
        }
    }

    /** Every property the configuration metadata on the class path lists, normalised as Boot's relaxed binding matches. */
    @SuppressWarnings("unchecked")
    private static Set<String> knownKeys() throws IOException {
        Set<String> known = new TreeSet<>();
        for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            Enumeration<URL> urls = DocSnippetsTest.class.getClassLoader().getResources(resource);
            while (urls.hasMoreElements()) {
                String json;
                try (InputStream in = urls.nextElement().openStream()) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
                if (properties instanceof List<?> list) {
                    for (Object entry : list) {
                        known.add(normalize(String.valueOf(((Map<String, Object>) entry).get("name"))));
                    }
                }
            }
        }
        return known;
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("\\[[^]]*]", "").replace("-", "").replace("_", "");
    }

    // ---------------------------------------------------------------- pages

    private static List<DocSnippet> snippets() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<DocSnippet> snippets = new ArrayList<>();
        for (Path page : pages) {
            snippets.addAll(DocSnippet.of(ROOT, page, List.of("java", "xml", "properties")));
        }
        return snippets;
    }
}
