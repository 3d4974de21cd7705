package dev.etch.spring.transaction;

import dev.etch.spring.EtchTransactional;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.TransactionAnnotationParser;
import org.springframework.transaction.interceptor.NoRollbackRuleAttribute;
import org.springframework.transaction.interceptor.RollbackRuleAttribute;
import org.springframework.transaction.interceptor.RuleBasedTransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.util.ClassUtils;

/**
 * Reads {@link EtchTransactional} (and only it: plain {@code @Transactional} stays with
 * Spring's own attribute source) into a transaction attribute whose qualifier is the bean
 * name of the store's {@link EtchTransactionManager}.
 *
 * <p>Rollback rules follow {@code @Transactional}: runtime exceptions and errors roll back,
 * checked exceptions commit, {@code rollbackFor}/{@code noRollbackFor} override.
 *
 * <p>Store names are resolved against the {@link EtchTransactionManager} beans of the
 * factory when a method is first inspected (at proxy creation, so at startup): naming no
 * store when there are several, or a store that does not exist, throws
 * {@link IllegalStateException} naming the method and the stores that exist.
 */
public class EtchTransactionAttributeSource extends AnnotationTransactionAttributeSource implements BeanFactoryAware {

    private static final long serialVersionUID = 1L;

    private transient ListableBeanFactory beanFactory;

    /** Creates a source that reads public methods' {@link EtchTransactional}. */
    public EtchTransactionAttributeSource() {
        super(new EtchTransactionalParser());
    }

    /**
     * Receives the factory whose {@link EtchTransactionManager} beans name the stores.
     *
     * @param beanFactory a {@link ListableBeanFactory}
     * @throws IllegalArgumentException if it is not listable
     */
    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (!(beanFactory instanceof ListableBeanFactory listable)) {
            throw new IllegalArgumentException("EtchTransactionAttributeSource needs a ListableBeanFactory");
        }
        this.beanFactory = listable;
    }

    @Override
    protected TransactionAttribute determineTransactionAttribute(AnnotatedElement element) {
        TransactionAttribute attribute = super.determineTransactionAttribute(element);
        if (attribute instanceof RuleBasedTransactionAttribute rule) {
            rule.setQualifier(transactionManagerFor(rule.getQualifier(), element));
        }
        return attribute;
    }

    /**
     * Spring's attribute for the method, named as Spring would name the transaction (the
     * target class's qualified method name). Spring's interceptor otherwise wraps an unnamed
     * attribute in a new naming delegate on every call.
     */
    @Override
    protected TransactionAttribute computeTransactionAttribute(Method method, Class<?> targetClass) {
        TransactionAttribute attribute = super.computeTransactionAttribute(method, targetClass);
        if (attribute instanceof EtchTransactionAttribute etch && etch.getName() == null) {
            etch.setName(ClassUtils.getQualifiedMethodName(method, targetClass));
        }
        return attribute;
    }

    private String transactionManagerFor(String store, AnnotatedElement element) {
        if (beanFactory == null) {
            throw new IllegalStateException("EtchTransactionAttributeSource has no BeanFactory");
        }
        List<String> managers = Arrays.asList(beanFactory.getBeanNamesForType(EtchTransactionManager.class, true, false));
        if (store == null || store.isEmpty()) {
            if (managers.size() == 1) {
                return managers.get(0);
            }
            throw new IllegalStateException("@EtchTransactional on " + describe(element) + " names no store, and the"
                    + " application has " + (managers.isEmpty() ? "no Etch store"
                            : "several: " + storeNames(managers) + "; name one, for example @EtchTransactional(\""
                                    + storeNames(managers).get(0) + "\")"));
        }
        String manager = EtchTransactionManager.beanName(store);
        if (!managers.contains(manager)) {
            throw new IllegalStateException("@EtchTransactional(\"" + store + "\") on " + describe(element)
                    + " names a store that does not exist; the stores are " + storeNames(managers)
                    + " (configure it under etch.stores." + store + ")");
        }
        return manager;
    }

    private static List<String> storeNames(List<String> managers) {
        List<String> names = new ArrayList<>();
        for (String manager : managers) {
            names.add(manager.endsWith(EtchTransactionManager.BEAN_NAME_SUFFIX)
                    ? manager.substring(0, manager.length() - EtchTransactionManager.BEAN_NAME_SUFFIX.length())
                    : manager);
        }
        return names;
    }

    private static String describe(AnnotatedElement element) {
        if (element instanceof Member member) {
            return member.getDeclaringClass().getName() + "." + member.getName() + "()";
        }
        return element instanceof Class<?> type ? type.getName() : element.toString();
    }

    /** Parses {@link EtchTransactional}; the qualifier carries the store name until resolved. */
    private static final class EtchTransactionalParser implements TransactionAnnotationParser {

        @Override
        public boolean isCandidateClass(Class<?> targetClass) {
            return AnnotationUtils.isCandidateClass(targetClass, EtchTransactional.class);
        }

        @Override
        public TransactionAttribute parseTransactionAnnotation(AnnotatedElement element) {
            AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(
                    element, EtchTransactional.class, false, false);
            if (attributes == null) {
                return null;
            }
            RuleBasedTransactionAttribute rule = new EtchTransactionAttribute();
            rule.setPropagationBehavior(attributes.<Propagation>getEnum("propagation").value());
            rule.setReadOnly(attributes.getBoolean("readOnly"));
            rule.setTimeout(attributes.<Integer>getNumber("timeout").intValue());
            rule.setQualifier(attributes.getString("store"));
            List<RollbackRuleAttribute> rules = new ArrayList<>();
            for (Class<?> type : attributes.getClassArray("rollbackFor")) {
                rules.add(new RollbackRuleAttribute(type));
            }
            for (Class<?> type : attributes.getClassArray("noRollbackFor")) {
                rules.add(new NoRollbackRuleAttribute(type));
            }
            rule.setRollbackRules(rules);
            return rule;
        }

        @Override
        public String toString() {
            return "EtchTransactionalParser";
        }
    }
}
