package dev.etch.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.etch.EtchSchemaException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Refuses, when a store opens, value types that Jackson writes but cannot read back: an
 * interface or abstract class reachable from the value type (a record component, a field, an
 * element, a map value, an {@code Optional}) without the type information Jackson needs to
 * pick the class to create. Jackson writes such a value by its runtime class and fails only
 * when reading it, so without this check a store accepts writes and then cannot open after a
 * restart.
 *
 * <p>Allowed as they are: {@code Object}, {@code Number}, {@code CharSequence} and the
 * collection and map interfaces of {@code java.util} (Jackson maps them to standard
 * classes), and every type Jackson can tell how to create: one annotated, or whose property
 * is annotated, with {@link JsonTypeInfo} or {@link JsonDeserialize}. Types of the JDK other
 * than those, and classes other than records, are not looked into. The check is a walk over
 * declared types: a codec built on
 * the application's own mapper ({@code ValueCodec.jackson(mapper)}), which may have mix-ins or
 * default typing, is not checked.
 */
final class JacksonReadableTypes {

    private JacksonReadableTypes() {}

    /**
     * Checks a value type.
     *
     * @param type the value type of a collection
     * @throws EtchSchemaException naming the path to the first type Jackson could not read back
     *     and how to fix it
     */
    static void check(Type type) {
        new Walk().type(type, Map.of(), "the value type " + type.getTypeName(), null);
    }

    private static final class Walk {
        private final Set<Type> seen = new HashSet<>();

        void type(Type type, Map<TypeVariable<?>, Type> bindings, String path, AnnotatedElement property) {
            if (type instanceof TypeVariable<?> variable) {
                Type bound = bindings.get(variable);
                if (bound != null) {
                    type(bound, bindings, path, property);
                }
                return; // unbound: read as Object
            }
            if (type instanceof WildcardType wildcard) {
                Type[] upper = wildcard.getUpperBounds();
                if (upper.length == 1) {
                    type(upper[0], bindings, path, property);
                }
                return;
            }
            if (type instanceof GenericArrayType array) {
                type(array.getGenericComponentType(), bindings, path + " (elements)", property);
                return;
            }
            if (type instanceof ParameterizedType parameterized) {
                Class<?> raw = (Class<?>) parameterized.getRawType();
                Type[] arguments = parameterized.getActualTypeArguments();
                if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)
                        || raw == java.util.Optional.class) {
                    type(raw, bindings, path, property);
                    for (int i = 0; i < arguments.length; i++) {
                        boolean mapKeys = arguments.length == 2 && i == 0;
                        type(arguments[i], bindings, path + (mapKeys ? " (keys)" : " (elements)"), null);
                    }
                    return;
                }
                TypeVariable<?>[] parameters = raw.getTypeParameters();
                Map<TypeVariable<?>, Type> inner = new HashMap<>();
                for (int i = 0; i < parameters.length && i < arguments.length; i++) {
                    inner.put(parameters[i], resolve(arguments[i], bindings));
                }
                members(raw, inner, path, property, parameterized);
                return;
            }
            if (type instanceof Class<?> c) {
                if (c.isArray()) {
                    type(c.getComponentType(), bindings, path + " (elements)", property);
                    return;
                }
                members(c, Map.of(), path, property, c);
            }
        }

        private static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
            return type instanceof TypeVariable<?> variable && bindings.containsKey(variable)
                    ? bindings.get(variable) : type;
        }

        private void members(Class<?> c, Map<TypeVariable<?>, Type> bindings, String path, AnnotatedElement property,
                Type key) {
            if (c.isPrimitive() || c.isEnum() || c == Object.class || readableAsIs(c)) {
                return;
            }
            if (Modifier.isAbstract(c.getModifiers()) || c.isInterface()) {
                if (!creatable(c, property)) {
                    throw new EtchSchemaException(path + " is " + (c.isInterface() ? "the interface " : "the abstract"
                            + " class ") + c.getName() + ": Jackson writes a value of it by its actual class but"
                            + " cannot tell which class to create when the store reads it back, so the store could"
                            + " not open after a restart. Use a concrete type, or annotate " + c.getSimpleName()
                            + " with @JsonTypeInfo(use = JsonTypeInfo.Id.NAME) and @JsonSubTypes listing its"
                            + " implementations.");
                }
                return; // Jackson picks the subtype; the subtypes are checked where they are declared
            }
            String name = c.getName();
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                    || !seen.add(key) || creatable(c, property)) {
                return;
            }
            if (c.isRecord()) {
                for (RecordComponent component : c.getRecordComponents()) {
                    type(component.getGenericType(), bindings, path + " > " + c.getSimpleName() + "."
                            + component.getName(), component);
                }
            }
            // Other classes are not looked into: which of their members Jackson reads depends on
            // visibility rules and annotations this walk would only guess.
        }

        /** Abstract types Jackson reads without help: it maps them to standard classes. */
        private static boolean readableAsIs(Class<?> c) {
            return c == Number.class || c == CharSequence.class || c == java.util.Optional.class
                    || ((Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c))
                            && c.getName().startsWith("java.util."));
        }

        /** Whether the type, or the property that holds it, tells Jackson what to create. */
        private static boolean creatable(Class<?> c, AnnotatedElement property) {
            return annotated(property)
                    || property instanceof RecordComponent component
                            && (annotated(component.getAccessor()) || annotated(field(component)))
                    || annotatedInHierarchy(c);
        }

        private static boolean annotatedInHierarchy(Class<?> c) {
            if (c == null) {
                return false;
            }
            if (annotated(c)) {
                return true;
            }
            for (Class<?> parent : c.getInterfaces()) {
                if (annotatedInHierarchy(parent)) {
                    return true;
                }
            }
            return annotatedInHierarchy(c.getSuperclass());
        }

        private static boolean annotated(AnnotatedElement element) {
            return element != null && (element.isAnnotationPresent(JsonTypeInfo.class)
                    || element.isAnnotationPresent(JsonDeserialize.class));
        }

        private static Field field(RecordComponent component) {
            try {
                return component.getDeclaringRecord().getDeclaredField(component.getName());
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
    }
}
