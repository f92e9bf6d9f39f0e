package io.holdfast.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A hot read that {@link EdgeAnswers} answers before Spring MVC: a {@code GET} of one path whose parameters are
 * plainly valid, answered with the bytes MVC would write for it. Anything else (a parameter missing, malformed or
 * repeated, a value out of range, a refusal, a failure) is MVC's to answer, in its words: the answer returns null
 * or throws, and the request goes on down the chain as if the edge had not looked at it. So an answer must have no
 * effect on what it leaves to MVC (reads only).
 */
public interface EdgeAnswer {

    /** The request URI answered, exactly ({@code /api/v1/live/poll}). */
    String path();

    /**
     * The body of the 200 {@code application/json} answer MVC gives this request, or null to leave the request to
     * MVC (then nothing was written). Throwing leaves it to MVC as well.
     */
    byte[] answer(HttpServletRequest request);
}
