package io.mailtrail.aspect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.aspect.contract.EmailActivityAspectContract;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;

/** The contract on Spring beans behind CGLIB proxies (Spring Boot's default). */
class SpringAopClassProxyTest extends EmailActivityAspectContract {

    @Override
    protected Fixtures open(MailtrailCapture capture) {
        ConfigurableApplicationContext context = FixturesConfiguration.start(capture, builder -> { },
                FixturesConfiguration.class);
        MailProcessingService processing = context.getBean(MailProcessingService.class);
        EmailLinker linker = context.getBean(EmailLinker.class);
        assertThat(AopUtils.isCglibProxy(processing)).isTrue();
        assertThat(AopUtils.isCglibProxy(linker)).isTrue();
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
                context.close();
            }
        };
    }
}
