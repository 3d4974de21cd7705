package dev.etch.sample;

import dev.etch.EtchStorageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Turns every error into an RFC 9457 problem detail ({@code application/problem+json}). A 400 names each field at
 * fault in {@code detail} and lists them in {@code errors}: {@code [{"field": "amountCents", "message": "must be
 * greater than 0"}]}. Spring MVC's own errors (unknown path, wrong method, ...) come from the superclass.
 */
@RestControllerAdvice
public class LedgerProblems extends ResponseEntityExceptionHandler {

    /**
     * One field or parameter at fault.
     *
     * @param field the JSON field (dotted path if nested) or query parameter
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {}

    /**
     * @param e the exception
     * @return 404 naming the account
     */
    @ExceptionHandler
    ProblemDetail accountNotFound(AccountNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Account not found");
        problem.setProperty("account", e.accountId());
        return problem;
    }

    /**
     * @param e the exception
     * @return 409 naming the account
     */
    @ExceptionHandler
    ProblemDetail duplicateAccount(DuplicateAccountException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Account exists");
        problem.setProperty("account", e.accountId());
        return problem;
    }

    /**
     * @param e the exception
     * @return 409 with the balance and the amount
     */
    @ExceptionHandler
    ProblemDetail insufficientFunds(InsufficientFundsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Insufficient funds");
        problem.setProperty("account", e.accountId());
        problem.setProperty("balanceCents", e.balanceCents());
        problem.setProperty("amountCents", e.amountCents());
        return problem;
    }

    /**
     * @param e the exception
     * @return 400 naming the field
     */
    @ExceptionHandler
    ProblemDetail invalidField(InvalidFieldException e) {
        return invalid(List.of(new FieldError(e.field(), e.getMessage())));
    }

    /**
     * The disk refused a write: the change was not committed, and the client may retry.
     *
     * @param e the exception
     * @return 503
     */
    @ExceptionHandler
    ProblemDetail storageFailed(EtchStorageException e) {
        logger.error("Write failed", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The change was not saved: " + e.getMessage());
        problem.setTitle("Storage unavailable");
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getFieldErrors().stream()
                .map(e -> new FieldError(e.getField(), e.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
        return handleExceptionInternal(ex, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new FieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return handleExceptionInternal(ex, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String type = ex.getRequiredType() == null ? "a valid value" : "a valid " + ex.getRequiredType().getSimpleName();
        FieldError error = new FieldError(ex.getPropertyName(), "must be " + type + ", was '" + ex.getValue() + "'");
        return handleExceptionInternal(ex, invalid(List.of(error)), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = unreadable(ex);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        if (!(ex.getMostSpecificCause() instanceof JacksonException jackson)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                            ? "The request body is missing" : "The request body cannot be read");
            problem.setTitle("Unreadable request");
            return problem;
        }
        String field = path(jackson);
        if (jackson instanceof PropertyBindingException) {
            return invalid(List.of(new FieldError(field, "is not a known field")));
        }
        if (jackson instanceof MismatchedInputException mismatch && !field.isEmpty()) {
            Class<?> target = mismatch.getTargetType();
            String expected = target == null ? "of another type"
                    : Number.class.isAssignableFrom(target) || target.isPrimitive() ? "a number"
                    : target == String.class ? "a string" : "a " + target.getSimpleName();
            return invalid(List.of(new FieldError(field, "must be " + expected)));
        }
        TokenStreamLocation at = jackson.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Malformed JSON" + where + ": " + jackson.getOriginalMessage());
        problem.setTitle("Malformed JSON");
        return problem;
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ProblemDetail invalid(List<FieldError> errors) {
        String detail = errors.stream()
                .map(e -> "'" + e.field() + "' " + e.message())
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }
}
