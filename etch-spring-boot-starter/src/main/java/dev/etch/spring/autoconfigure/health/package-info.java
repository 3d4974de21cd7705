/** Auto-configuration of the Etch health contributor. */
package dev.etch.spring.autoconfigure.health;
