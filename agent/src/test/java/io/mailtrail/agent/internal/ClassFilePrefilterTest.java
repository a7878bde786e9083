package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassFilePrefilterTest {

    // Fixtures from the legacy sample: classes of the agent's own package are never instrumented.
    private static final Class<?> PROCESSOR = io.mailtrail.legacy.LegacyMailProcessor.class; // fetch, classify
    private static final Class<?> ANNOTATED = io.mailtrail.legacy.AnnotatedWorkflow.class; // @LogsEmailEvent run
    private static final Class<?> HANDLER = io.mailtrail.legacy.StatusHandler.class; // implements MailHandler

    private static final ClassLoader LOADER = ClassFilePrefilterTest.class.getClassLoader();

    @Test
    void exactRuleNeedsTheNameAndTheMethodEntry() throws Exception {
        ClassFilePrefilter filter = new ClassFilePrefilter(List.of(rule(PROCESSOR.getName(), null, "classify"),
                rule(HANDLER.getName(), null, "classify")), false);

        assertThat(mayMatch(filter, PROCESSOR)).isTrue();
        assertThat(mayMatch(filter, HANDLER)).as("no method 'classify' in its constant pool").isFalse();
        assertThat(mayMatch(filter, ANNOTATED)).isFalse();
    }

    @Test
    void wildcardAndSuperTypeRules() throws Exception {
        ClassFilePrefilter wildcard = new ClassFilePrefilter(
                List.of(rule("io.mailtrail.*.Legacy*", null, "classify")), false);
        ClassFilePrefilter superType = new ClassFilePrefilter(List.of(rule(null, "io.mailtrail.legacy.MailHandler", "handle")), false);

        assertThat(mayMatch(wildcard, PROCESSOR)).isTrue();
        assertThat(mayMatch(wildcard, ANNOTATED)).isFalse();
        assertThat(mayMatch(superType, HANDLER)).isTrue();
        assertThat(mayMatch(superType, PROCESSOR)).isFalse();
    }

    @Test
    void annotatedClassesPassWhenAnnotationsAreOn() throws Exception {
        // The test runs unshaded: the descriptor is the real one.
        assertThat(mayMatch(new ClassFilePrefilter(List.of(), true), ANNOTATED)).isTrue();
        assertThat(mayMatch(new ClassFilePrefilter(List.of(), true), PROCESSOR)).isFalse();
        assertThat(mayMatch(new ClassFilePrefilter(List.of(), false), ANNOTATED)).isFalse();
    }

    @Test
    void bootstrapJdkAndAgentClassesNeverPass() throws Exception {
        ClassFilePrefilter filter = new ClassFilePrefilter(List.of(rule(null, "java.lang.Object", "handle")), true);
        byte[] bytes = bytes(HANDLER);

        assertThat(filter.mayMatch(null, internalName(HANDLER), bytes)).isFalse();
        assertThat(filter.mayMatch(LOADER, "java/lang/Thread", bytes)).isFalse();
        assertThat(filter.mayMatch(LOADER, "io/mailtrail/agent/internal/X", bytes)).isFalse();
        assertThat(filter.mayMatch(LOADER, null, bytes)).isFalse();
        assertThat(filter.mayMatch(LOADER, internalName(HANDLER), bytes)).isTrue();
    }

    @Test
    void utf8EntriesAreEncodedAsInAClassFile() {
        assertThat(ClassFilePrefilter.utf8Entry("run")).containsExactly(1, 0, 3, 'r', 'u', 'n');
        assertThat(ClassFilePrefilter.indexOf(new byte[] {9, 1, 0, 3, 'r', 'u', 'n'}, ClassFilePrefilter.utf8Entry("run")))
                .isEqualTo(1);
        assertThat(ClassFilePrefilter.indexOf(new byte[] {1, 0, 4, 'r', 'u', 'n', 's'}, ClassFilePrefilter.utf8Entry("run")))
                .isEqualTo(-1);
    }

    private static boolean mayMatch(ClassFilePrefilter filter, Class<?> type) throws Exception {
        return filter.mayMatch(LOADER, internalName(type), bytes(type));
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static byte[] bytes(Class<?> type) throws Exception {
        try (InputStream in = LOADER.getResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Rule rule(String className, String superType, String method) {
        CaptureSpec spec = new CaptureSpec(Rule.origin("r"), "t", Category.SYSTEM, Phase.COMPLETION, null, "#p0",
                List.of(), false, false, null, true, null, null, List.of(), Set.of(), Set.of(), List.of());
        return new Rule("r", className, superType, method, null, spec);
    }
}
