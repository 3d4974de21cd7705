/** The {@code etch} actuator endpoint, without its Spring wiring. */
package dev.etch.spring.endpoint;
