package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSyntaxTest {

    @Test
    void validExpressionsWithAnyVariableNamesPass() {
        assertThat(RuleSyntax.problems(spec(Phase.COMPLETION, "#emailId", "Classified as #{#result} (#{#p1})",
                List.of(new CaptureSpec.MetadataSpec("who", "#user?.name")), "#confidence > 0.5"))).isEmpty();
    }

    @Test
    void syntaxErrorsAreFoundWithoutTheClass() {
        List<String> problems = RuleSyntax.problems(spec(Phase.COMPLETION, "#", "Classified #{#result",
                List.of(new CaptureSpec.MetadataSpec("a", "#x +")), ""));

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("emailId \"#\": expected a variable name after '#'");
        assertThat(problems.get(1)).startsWith("description \"Classified #{#result\": ").contains("'#{' is never closed");
        assertThat(problems.get(2)).startsWith("metadata[a] \"#x +\": ");
    }

    @Test
    void resultBeforeTheCallIsAnErrorWhateverTheMethod() {
        assertThat(RuleSyntax.problems(spec(Phase.START, "#result", "", List.of(), "")))
                .singleElement().asString().contains("#result is not available before the call");
    }

    @Test
    void whatDependsOnTheMethodIsLeftForLater() {
        // #p20 may exist on the matched method; unknown names are bound by the probe.
        assertThat(RuleSyntax.problems(spec(Phase.COMPLETION, "#p20", "", List.of(), "#emial.anything"))).isEmpty();
    }

    @Test
    void entryChangesAndForEachElementsAreKnownNames() {
        CaptureSpec batch = CaptureSpec.builder(Rule.origin("r")).type("t").forEach("#p0").emailId("#it.id")
                .description("#{#index}: #{#entry(#it.folder)} -> #{#it.folder}")
                .metadata(List.of(new CaptureSpec.MetadataSpec("changes", "#changes(#p1)"))).build();

        assertThat(RuleSyntax.problems(batch)).isEmpty();
    }

    @Test
    void itWithoutForEachAndResultInsideEntryAreFoundWithoutTheClass() {
        List<String> problems = RuleSyntax.problems(spec(Phase.COMPLETION, "#it.id", "was #{#entry(#result)}",
                List.of(), ""));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("emailId \"#it.id\": #it is only available with forEach");
        assertThat(problems.get(1)).startsWith("description \"was #{#entry(#result)}\": #entry(...) can not read #result");
    }

    private static CaptureSpec spec(Phase phase, String emailId, String description,
            List<CaptureSpec.MetadataSpec> metadata, String condition) {
        return new CaptureSpec(Rule.origin("r"), "t", Category.SYSTEM, phase, description, emailId, metadata, false,
                false, condition, true, null, null, List.of(), Set.of(), Set.of(), List.of());
    }
}
