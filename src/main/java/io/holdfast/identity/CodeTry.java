package io.holdfast.identity;

/** What a store answers when a code is tried: the try has been counted before the code is compared. */
sealed interface CodeTry {

    /** No live code for the address (never sent, used, expired or replaced). */
    record Missing() implements CodeTry {
    }

    /** No tries left for this client network, or the code's total tries were used up (it is then deleted). */
    record Dead() implements CodeTry {
    }

    /**
     * A counted try: compare against {@code codeHash}.
     *
     * @param tries   tries so far from all client networks, this one included
     * @param inRedis where the code lives, so that using or killing it goes to the same store
     */
    record Counted(String codeHash, int tries, boolean inRedis) implements CodeTry {
    }
}
