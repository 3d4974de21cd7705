/** Micrometer meters of an Etch store, without their Spring wiring. */
package dev.etch.spring.metrics;
