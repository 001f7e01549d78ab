package io.bookinghub.spi;

/**
 * The version of this contract, which plugins match with a SemVer range in {@code plugin.requires}
 * (e.g. {@code plugin.requires=^2.0}); the hub refuses, without loading it, a plugin whose range this
 * version does not satisfy.
 *
 * <p>Set by hand, not taken from the Maven version: the contract changes far less often than the hub is
 * released, and a {@code -SNAPSHOT} build would satisfy no range. Raise the minor version when the SPI
 * gains something a plugin may start to rely on (a method with a default, a capability, an error code); raise
 * the major version when a plugin compiled against the previous version could break (a removed or changed
 * method, a new abstract method, a changed contract).
 */
public final class SpiVersion {
    /** The SPI version this build of the hub provides. */
    public static final String CURRENT = "2.0.0";

    private SpiVersion() {
    }
}
