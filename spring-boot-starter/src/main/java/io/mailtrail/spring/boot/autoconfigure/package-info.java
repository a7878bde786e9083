/**
 * Spring Boot auto-configuration of Mailtrail, under the {@code mailtrail.*} properties.
 */
package io.mailtrail.spring.boot.autoconfigure;
