package io.mailtrail.aspect.ltw;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.aspect.contract.EmailActivityAspectContract;
import io.mailtrail.aspect.fixtures.DefaultEmailLinker;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract on the unwoven fixtures jar, woven by the agent while it loads. */
class LoadTimeWeavingTest extends EmailActivityAspectContract {

    @Override
    protected Fixtures open(MailtrailCapture capture) {
        EmailActivityAspect.aspectOf().configure(capture);
        MailProcessingService processing = new MailProcessingService();
        EmailLinker linker = new DefaultEmailLinker();
        return new Fixtures() {
            @Override
            public MailProcessingService processing() {
                return processing;
            }

            @Override
            public EmailLinker linker() {
                return linker;
            }

            @Override
            public void close() {
                EmailActivityAspect.aspectOf().reset();
            }
        };
    }

    @Test
    void theFixturesJarOnTheClassPathIsUnwovenAndTheAgentWovenIt() throws Exception {
        String jarOrDirectory = MailProcessingService.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath();

        assertThat(jarOrDirectory).contains("aspect-test-fixtures");
        assertThat(Arrays.stream(MailProcessingService.class.getDeclaredFields()).map(f -> f.getName()))
                .anyMatch(name -> name.startsWith("ajc$"));
    }
}
