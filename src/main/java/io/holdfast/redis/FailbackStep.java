package io.holdfast.redis;

/**
 * What a module that keeps temporary state in SQL during an outage does when Redis returns. The redis module runs
 * the failback (one instance at a time, under a Redis lock) and calls every registered step: a bulk copy while SQL
 * still serves, then a last copy while new calls wait at the gate, then, after the switch, one more for calls that
 * waited longer than the gate allows. A module registers its step with {@link RedisFirst#whenFailingBack}, so this
 * module never needs to know what the others keep.
 */
public interface FailbackStep {

    /** Starts one failback; the copy it returns may remember what an earlier pass of the same failback copied. */
    Copy begin();

    /** The passes of one failback. */
    interface Copy {

        /**
         * Copies what SQL holds now into Redis. {@code last} is true for the pass made when Redis serves again:
         * only then may SQL forget what was copied, because until traffic moves it must still refuse what the
         * copied state refuses (and forgetting while new calls wait at the gate would lengthen their wait).
         *
         * @return how many items were copied, for the log line
         */
        int pass(boolean last);
    }
}
