package io.mailtrail.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A necessary condition for instrumentation, checked on the raw class file before Byte Buddy
 * parses anything: a class can only declare a method {@code m} if its constant pool holds the
 * entry {@code CONSTANT_Utf8 "m"}, and can only carry {@code @LogsEmailEvent} if it holds that
 * descriptor. A byte search for those entries (plus the class name for {@code class:} rules) turns
 * away almost every class a host loads for a few hundred nanoseconds each, where handing it to
 * Byte Buddy costs a parse of the whole class file, and resolving its super types for
 * {@code implements}/{@code extends} rules. A false positive only means Byte Buddy decides; there
 * are no false negatives.
 */
final class ClassFilePrefilter {

    /** Host packages that are never instrumented (also ignored by the agent builder). */
    private static final String[] IGNORED_PREFIXES = {
        "java/", "jdk/", "sun/", "com/sun/", "net/bytebuddy/", "io/mailtrail/agent/",
    };

    private final List<Candidate> candidates = new ArrayList<>();
    private final byte[] annotationDescriptor;

    ClassFilePrefilter(List<Rule> rules, boolean annotations) {
        for (Rule rule : rules) {
            byte[] method = utf8Entry(rule.method());
            if (rule.superType() != null) {
                candidates.add(new Candidate(null, null, method, rule));
            } else if (rule.isWildcard()) {
                candidates.add(new Candidate(null, Rule.wildcard(rule.className()), method, rule));
            } else {
                // Nested classes may be written Outer.Inner: compared with '$' and '/' alike.
                candidates.add(new Candidate(lenient(rule.className()), null, method, rule));
            }
        }
        // Prefix of both LogsEmailEvent and LogsEmailEvents; assembled at run time so that the
        // shade plugin does not relocate it (see AnnotationSpecs).
        annotationDescriptor = annotations
                ? ("L" + AnnotationSpecs.LOGS_EMAIL_EVENT.replace('.', '/')).getBytes(StandardCharsets.UTF_8)
                : null;
    }

    /** Whether the class may have a method to instrument; {@code false} is definite. */
    boolean mayMatch(ClassLoader loader, String internalName, byte[] classFile) {
        if (loader == null || internalName == null || classFile == null) {
            return false;
        }
        for (String prefix : IGNORED_PREFIXES) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        if (annotationDescriptor != null && indexOf(classFile, annotationDescriptor) >= 0) {
            return true;
        }
        String dotted = null;
        for (Candidate candidate : candidates) {
            if (candidate.internalName != null && !candidate.internalName.equals(lenient(internalName))) {
                continue;
            }
            if (candidate.pattern != null) {
                dotted = dotted == null ? internalName.replace('/', '.') : dotted;
                if (!candidate.pattern.matcher(dotted).matches()) {
                    continue;
                }
            }
            if (indexOf(classFile, candidate.methodEntry) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static String lenient(String name) {
        return name.replace('.', '/').replace('$', '/');
    }

    /**
     * The rules that name this class exactly although it has no method of their method's name
     * (not even in its constant pool): turned away here, they would otherwise go unreported.
     */
    List<Rule> rulesMissingTheirMethod(String internalName, byte[] classFile) {
        List<Rule> missing = new ArrayList<>();
        if (internalName == null || classFile == null) {
            return missing;
        }
        String name = null;
        for (Candidate candidate : candidates) {
            if (candidate.internalName != null) {
                name = name == null ? lenient(internalName) : name;
                if (candidate.internalName.equals(name) && indexOf(classFile, candidate.methodEntry) < 0) {
                    missing.add(candidate.rule);
                }
            }
        }
        return missing;
    }

    /**
     * {@code delegate}, called only for the classes {@link #mayMatch} lets through; a class named
     * by a rule that lacks the rule's method goes to {@code missingMethod} instead.
     */
    ClassFileTransformer wrap(ClassFileTransformer delegate, BiConsumer<Rule, String> missingMethod) {
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                    ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
                if (mayMatch(loader, className, classFile)) {
                    return delegate.transform(module, loader, className, redefined, domain, classFile);
                }
                if (loader != null) {
                    for (Rule rule : rulesMissingTheirMethod(className, classFile)) {
                        missingMethod.accept(rule, className.replace('/', '.'));
                    }
                }
                return null;
            }
        };
    }

    /** The bytes of {@code CONSTANT_Utf8 text} as they appear in a constant pool. */
    static byte[] utf8Entry(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // CONSTANT_Utf8
            out.writeUTF(text); // u2 length + modified UTF-8, as in a class file
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * One rule's condition: the class name (exact internal name or wildcard, both {@code null}
     * for a super-type rule) and the method name's constant-pool entry.
     */
    private record Candidate(String internalName, Pattern pattern, byte[] methodEntry, Rule rule) {
    }
}
