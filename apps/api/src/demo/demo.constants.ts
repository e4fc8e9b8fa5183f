/** The seed of the demo fleet and its simulated heartbeats: the same demo everywhere. */
export const DEMO_SEED = 20261122;
