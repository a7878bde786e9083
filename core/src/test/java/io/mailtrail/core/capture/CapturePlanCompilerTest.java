package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.annotations.Phase;
import io.mailtrail.annotations.Redact;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturePlanCompilerTest {

    record Email(int id, String subject) {
    }

    static class Broken {
        @LogsEmailEvent(type = "classified", emailId = "#emial.id")
        void typo(Email email) {
        }

        @LogsEmailEvent(type = "classified", emailId = "#email.id",
                description = "Classified #{#result.kind}", condition = "#email.id >")
        void several(Email email) {
        }

        @LogsEmailEvent(type = "classified")
        void noEmailId(Email email) {
        }

        @LogsEmailEvent(type = "workflow_executed", phase = Phase.START, emailId = "#result")
        int resultAtStart(int id) {
            return id;
        }

        @LogsEmailEvent(type = "linked", description = "with #{#secret}",
                metadata = @Metadata(key = "raw", value = "#raw.length"))
        void leaks(@EmailId int id, @Redact String secret, @NotLogged byte[] raw) {
        }

        @LogsEmailEvent(type = "", emailId = "#id")
        void blankType(int id) {
        }

        @LogsEmailEvent(type = "classified", emailId = "#p0", metadata = {
                @Metadata(key = "a", value = "1"), @Metadata(key = "a", value = "2")})
        void duplicateKey(int id) {
        }

        @LogsEmailEvent(type = "read", emailId = "#id")
        @LogsEmailEvent(type = "linked", emailId = "#nope")
        void oneOfTwo(int id) {
        }

        @LogsEmailEvent(type = "read")
        void twoIds(@EmailId int a, @EmailId int b) {
        }

        @LogsEmailEvent(type = "status_changed", emailId = "#it.id", description = "was #{#entry(#result)}",
                metadata = @Metadata(key = "failure", value = "#entry(#ex?.message)"))
        String readsTooLate(List<Email> emails) {
            return null;
        }

        @LogsEmailEvent(type = "archived", forEach = "#secret", emailId = "#it")
        void forEachOverASecret(@Redact List<Integer> secret) {
        }
    }

    private final CapturePlanCompiler compiler = new CapturePlanCompiler(Redaction.defaults());

    @Test
    void entryOfResultOrExceptionAndItWithoutForEachAreReportedByAttribute() {
        CapturePlanCompiler.Result result = compiler.compile(method("readsTooLate"));

        assertThat(result.plans()).isEmpty();
        assertThat(result.problems()).extracting(p -> p.attribute() + ": " + p.reason()).containsExactly(
                "emailId: #it is only available with forEach (one row per element) at position 0",
                "description: #entry(...) can not read #result: it is evaluated when the method is entered,"
                        + " before there is a result at position 13",
                "metadata[failure]: #entry(...) can not read #ex: it is evaluated when the method is entered,"
                        + " before anything is thrown at position 7");
    }

    @Test
    void forEachOverARedactedParameterIsReported() {
        assertThat(compiler.compile(method("forEachOverASecret")).problems()).singleElement()
                .satisfies(p -> assertThat(p.attribute() + ": " + p.reason()).isEqualTo(
                        "forEach: uses parameter #p0, which is @Redact and must not appear in forEach"));
    }

    @Test
    void problemNamesClassMethodAttributeExpressionAndPosition() {
        CapturePlanCompiler.Result result = compiler.compile(method("typo"));

        assertThat(result.plans()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.className()).isEqualTo(Broken.class.getName());
            assertThat(p.methodName()).isEqualTo("typo(Email)");
            assertThat(p.attribute()).isEqualTo("emailId");
            assertThat(p.expression()).isEqualTo("#emial.id");
            assertThat(p.reason()).contains("unknown variable #emial").contains("at position 0");
            assertThat(p.toString()).startsWith("@LogsEmailEvent(type = \"classified\") on "
                    + Broken.class.getName() + ".typo(Email) is skipped: emailId \"#emial.id\": unknown variable");
        });
    }

    @Test
    void everyProblemOfAnAnnotationIsReported() {
        assertThat(compiler.compile(method("several")).problems())
                .extracting(CaptureProblem::attribute)
                .containsExactly("description", "condition");
    }

    @Test
    void missingEmailIdIsExplained() {
        assertThat(compiler.compile(method("noEmailId")).problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo(
                        "no emailId expression and no parameter annotated @EmailId"));
        assertThat(compiler.compile(method("twoIds")).problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("more than one parameter"));
    }

    @Test
    void resultIsRejectedAtStart() {
        assertThat(compiler.compile(method("resultAtStart")).problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("#result is not available before the call"));
    }

    @Test
    void redactedAndNotLoggedArgumentsMayNotLeak() {
        assertThat(compiler.compile(method("leaks")).problems())
                .extracting(CaptureProblem::attribute, p -> p.reason().contains("@Redact")
                        || p.reason().contains("@NotLogged"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("description", true),
                        org.assertj.core.groups.Tuple.tuple("metadata[raw]", true));
    }

    @Test
    void blankTypeAndDuplicateKeysAreProblems() {
        assertThat(compiler.compile(method("blankType")).problems()).extracting(CaptureProblem::attribute)
                .containsExactly("type");
        assertThat(compiler.compile(method("duplicateKey")).problems()).extracting(CaptureProblem::reason)
                .containsExactly("the key is used twice");
    }

    @Test
    void onlyTheBrokenAnnotationIsSkipped() {
        CapturePlanCompiler.Result result = compiler.compile(method("oneOfTwo"));

        assertThat(result.plans()).extracting(MethodCapturePlan::type).containsExactly("read");
        assertThat(result.problems()).extracting(CaptureProblem::eventType).containsExactly("linked");
    }

    @Test
    void facadeReportsProblemsOnceAndValidateListsThem() {
        List<CaptureProblem> reported = new ArrayList<>();
        MailtrailCapture capture = MailtrailCapture.builder(event -> true).problemReporter(reported::add).build();

        capture.method(method("typo"));
        capture.method(method("typo"));
        List<CaptureProblem> validated = capture.validate(Broken.class);

        assertThat(reported).filteredOn(p -> p.methodName().startsWith("typo")).hasSize(1);
        assertThat(validated).extracting(p -> p.methodName().replaceAll("\\(.*", ""))
                .contains("typo", "several", "noEmailId", "resultAtStart", "leaks", "blankType", "duplicateKey",
                        "oneOfTwo", "twoIds");
        assertThat(capture.stats().skippedPlans()).isEqualTo(reported.size());
    }

    private static Method method(String name) {
        for (Method m : Broken.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
