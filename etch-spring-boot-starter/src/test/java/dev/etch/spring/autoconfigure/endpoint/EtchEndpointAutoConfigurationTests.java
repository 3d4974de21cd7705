package dev.etch.spring.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.spring.Library;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.endpoint.EtchEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EtchEndpointAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchEndpointAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"));
    }

    @Test
    void notCreatedUnlessExposed() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EtchEndpoint.class));
    }

    @Test
    void createdWhenExposedOverTheWeb() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=etch")
                .run(context -> assertThat(context).hasSingleBean(EtchEndpoint.class));
    }

    @Test
    void notCreatedWhenAccessIsNone() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=etch",
                "management.endpoint.etch.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(EtchEndpoint.class));
    }

    @Test
    void applicationWithoutActuatorStillStarts() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=etch")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasBean("library").doesNotHaveBean(EtchEndpoint.class));
    }
}
