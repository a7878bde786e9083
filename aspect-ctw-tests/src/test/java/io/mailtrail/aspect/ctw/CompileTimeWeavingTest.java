package io.mailtrail.aspect.ctw;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.aspect.contract.EmailActivityAspectContract;
import io.mailtrail.aspect.fixtures.DefaultEmailLinker;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;

/** The contract on classes woven by ajc at build time, created with plain {@code new}. */
class CompileTimeWeavingTest extends EmailActivityAspectContract {

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
}
