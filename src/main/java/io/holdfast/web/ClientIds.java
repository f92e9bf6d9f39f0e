package io.holdfast.web;

/** Clients name themselves with an opaque id kept in the browser (API.md: 8-64 of [A-Za-z0-9_-]). */
public final class ClientIds {

    public static final String PATTERN = "[A-Za-z0-9_-]{8,64}";

    private ClientIds() {
    }
}
