/** Auto-configuration of the {@code etch} actuator endpoint. */
package dev.etch.spring.autoconfigure.endpoint;
