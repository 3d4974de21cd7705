/** Auto-configuration of Etch's Micrometer meters. */
package dev.etch.spring.autoconfigure.metrics;
