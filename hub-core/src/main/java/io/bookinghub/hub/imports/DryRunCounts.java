package io.bookinghub.hub.imports;

/**
 * What a dry run's records of one kind would have done had it been a real import.
 *
 * @param wouldCreate new records
 * @param wouldUpdate records that differ from the stored ones (or restore a deleted one)
 * @param unchanged   records identical to the stored ones, or older than them (a real import ignores both)
 */
public record DryRunCounts(long wouldCreate, long wouldUpdate, long unchanged) {
    public DryRunCounts {
        if (wouldCreate < 0 || wouldUpdate < 0 || unchanged < 0) {
            throw new IllegalArgumentException("negative count: " + wouldCreate + "/" + wouldUpdate + "/" + unchanged);
        }
    }
}
