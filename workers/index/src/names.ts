/** Index and alias names, all derived from the configured prefix. */
export const INDEX_KINDS = ["sources", "events", "mentions"] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/** Version of the mappings; bump it (and reindex) when a mapping changes incompatibly. */
export const MAPPING_VERSION = 1;

export interface IndexNames {
  /** Read alias: what queries use. */
  read: string;
  /** Write alias: what the index stage writes to. */
  write: string;
  /** The concrete index behind both aliases at this mapping version. */
  concrete: string;
}

export function indexNames(prefix: string, kind: IndexKind, version = MAPPING_VERSION): IndexNames {
  return { read: `${prefix}-${kind}`, write: `${prefix}-${kind}-write`, concrete: `${prefix}-${kind}-v${version}` };
}
