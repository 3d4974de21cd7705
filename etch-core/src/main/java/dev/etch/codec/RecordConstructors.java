package dev.etch.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.bean.PropertyValueBuffer;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.module.SimpleModule;

/**
 * A Jackson module that calls the canonical constructor of a record through a method handle
 * spread once, when the deserializer is built, instead of once per value.
 *
 * <p>Jackson 3.1 creates a record with {@code MethodHandle.invokeWithArguments}, which adapts
 * the handle to the argument array on every call; on a reopen that decodes millions of
 * records it was about a sixth of the decoding time (docs/BENCHMARKS.md). Only the call
 * changes: Jackson still finds the constructor, binds the properties and reports a constructor
 * that throws as it always does ({@link DeserializationContext#handleInstantiationProblem}).
 * A record whose constructor cannot be made accessible, or whose instantiator is not Jackson's
 * own {@link StdValueInstantiator} (a module's or the application's), keeps what it has.
 */
final class RecordConstructors extends ValueInstantiators.Base {

    private RecordConstructors() {
    }

    /**
     * The module to register on a mapper.
     *
     * @return a module holding this instantiator modifier
     */
    static JacksonModule module() {
        return new SimpleModule("etch-record-constructors") {
            private static final long serialVersionUID = 1L;

            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addValueInstantiators(new RecordConstructors());
            }
        };
    }

    @Override
    public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier beanDesc,
            ValueInstantiator defaultInstantiator) {
        // Only Jackson's own instantiator: a subclass (a module's, or the user's) may create
        // values its own way, which a direct constructor call would bypass.
        if (defaultInstantiator == null || defaultInstantiator.getClass() != StdValueInstantiator.class) {
            return defaultInstantiator;
        }
        StdValueInstantiator std = (StdValueInstantiator) defaultInstantiator;
        if (!std.getValueClass().isRecord()
                || !std.canCreateFromObjectWith() || std.getWithArgsCreator() == null
                || !(std.getWithArgsCreator().getAnnotated() instanceof Constructor<?> constructor)) {
            return defaultInstantiator;
        }
        MethodHandle spread;
        try {
            if (!constructor.trySetAccessible()) {
                return defaultInstantiator;
            }
            spread = MethodHandles.lookup().unreflectConstructor(constructor)
                    .asSpreader(Object[].class, constructor.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            return defaultInstantiator;
        }
        return new Spread(defaultInstantiator, spread);
    }

    /** Jackson's instantiator with the with-arguments call made through a spread handle. */
    private static final class Spread extends ValueInstantiator.Delegating {
        private static final long serialVersionUID = 1L;
        private final transient MethodHandle constructor;

        Spread(ValueInstantiator delegate, MethodHandle constructor) {
            super(delegate);
            this.constructor = constructor;
        }

        @Override
        public ValueInstantiator createContextual(DeserializationContext ctxt, BeanDescription.Supplier beanDesc) {
            ValueInstantiator contextual = delegate().createContextual(ctxt, beanDesc);
            return contextual == delegate() ? this : new Spread(contextual, constructor);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) throws JacksonException {
            try {
                return (Object) constructor.invokeExact(args);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                return ctxt.handleInstantiationProblem(getValueClass(), args, e);
            }
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, SettableBeanProperty[] props,
                PropertyValueBuffer buffer) throws JacksonException {
            return createFromObjectWith(ctxt, buffer.getParameters(ctxt, props));
        }
    }
}
