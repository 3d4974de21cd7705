/** The health indicator of an Etch store, without its Spring wiring. */
package dev.etch.spring.health;
