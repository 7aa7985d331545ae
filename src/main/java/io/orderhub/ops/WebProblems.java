package io.orderhub.ops;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own refusals (an unknown path 404, a wrong method 405 with Allow, ...) in the hub's problem format, so a
 * client sees one error shape whether a route or the web layer answered.
 */
@ControllerAdvice
public class WebProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((ServletWebRequest) request).getRequest();
        int code = status.value();
        String kind = code == 404 ? "not-found" : code == 405 ? "method-not-allowed" : "bad-request";
        String detail = code == 404
                ? "no such resource: " + servlet.getRequestURI()
                : code == 405
                        ? servlet.getMethod() + " is not allowed here"
                        : "the request could not be handled as sent";
        String problem = Problems.body(
                code,
                kind,
                code == 404 ? "Not found" : code == 405 ? "Method not allowed" : "Bad request",
                detail,
                servlet.getRequestURI(),
                CorrelationIds.of(servlet),
                List.of(),
                Map.of());
        HttpHeaders out = new HttpHeaders();
        if (headers != null) {
            out.putAll(headers);
        }
        out.setContentType(MediaType.parseMediaType(Problems.MEDIA_TYPE));
        return new ResponseEntity<>(problem, out, status);
    }
}
