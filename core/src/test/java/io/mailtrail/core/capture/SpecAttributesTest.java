package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.annotations.Phase;
import io.mailtrail.annotations.Redact;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpecAttributesTest {

    /** Every attribute set to something other than its default, and every parameter marker. */
    public static class EveryAttribute {
        @LogsEmailEvent(type = "classified", category = Category.WORKFLOW, description = "Classified #{#p1}",
                emailId = "#p0", metadata = {@Metadata(key = "a", value = "#p1"), @Metadata(key = "b", value = "#p2")},
                captureArguments = true, captureResult = true, condition = "#p1 != null", phase = Phase.START,
                logErrors = false, createdBy = "ai-classifier", userId = "#p0")
        @LogsEmailEvent(type = "second")
        public String classify(@EmailId int emailId, @Redact String subject, @NotLogged String body) {
            return subject;
        }

        @LogsEmailEvent(type = "plain")
        public void defaults(@EmailId int emailId) {
        }
    }

    @Test
    void everyAttributeOfTheAnnotationIsRead() {
        List<String> declared = Arrays.stream(LogsEmailEvent.class.getDeclaredMethods()).map(Method::getName)
                .sorted().toList();

        assertThat(SpecAttributes.ATTRIBUTES.stream().sorted().toList())
                .as("an attribute of @LogsEmailEvent that SpecAttributes does not read (or reads but no longer exists)")
                .isEqualTo(declared);
    }

    @Test
    void theBuilderStartsFromTheAnnotationsDefaults() throws Exception {
        Method defaults = EveryAttribute.class.getMethod("defaults", int.class);

        assertThat(CaptureSpec.of(defaults)).singleElement().isEqualTo(CaptureSpec.builder(CaptureSpec.ANNOTATION)
                .type("plain").emailIdParameters(List.of(0)).build());
    }

    @Test
    void theTypedAndTheByNameReaderProduceEqualSpecs() throws Exception {
        Method typed = EveryAttribute.class.getMethod("classify", int.class, String.class, String.class);
        // A host's copy of the annotations: the same names, loaded by another class loader, as
        // the agent sees them.
        URL annotations = LogsEmailEvent.class.getProtectionDomain().getCodeSource().getLocation();
        URL fixtures = EveryAttribute.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader host = new URLClassLoader(new URL[] {annotations, fixtures},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> hostClass = host.loadClass(EveryAttribute.class.getName());
            Method byName = hostClass.getMethod("classify", int.class, String.class, String.class);
            assertThat(byName.getDeclaredAnnotations()[0].annotationType()).isNotEqualTo(
                    typed.getDeclaredAnnotations()[0].annotationType());

            List<CaptureSpec> hostSpecs = SpecAttributes.named(LogsEmailEvent.class.getPackageName()).specs(byName);
            List<CaptureSpec> typedSpecs = CaptureSpec.of(typed);

            assertThat(hostSpecs).hasSize(2).isEqualTo(typedSpecs);
            CaptureSpec first = typedSpecs.get(0);
            assertThat(first).isEqualTo(CaptureSpec.builder(CaptureSpec.ANNOTATION).type("classified")
                    .category(Category.WORKFLOW).description("Classified #{#p1}").emailId("#p0")
                    .metadata(List.of(new CaptureSpec.MetadataSpec("a", "#p1"), new CaptureSpec.MetadataSpec("b", "#p2")))
                    .captureArguments(true).captureResult(true).condition("#p1 != null").phase(Phase.START)
                    .logErrors(false).createdBy("ai-classifier").userId("#p0").emailIdParameters(List.of(0))
                    .redactedParameters(java.util.Set.of(1)).notLoggedParameters(java.util.Set.of(2)).build());
            assertThat(Arrays.stream(CaptureSpec.class.getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toSet())).containsAll(SpecAttributes.ATTRIBUTES);
        }
    }
}
