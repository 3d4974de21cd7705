/**
 * The public face of Etch's Spring Boot integration: {@link dev.etch.spring.EtchTransactional},
 * the {@link dev.etch.spring.EtchProperties configuration properties} and the extension points
 * ({@link dev.etch.spring.EtchStoreCustomizer}, {@link dev.etch.spring.EtchListenerFactory}).
 */
package dev.etch.spring;
