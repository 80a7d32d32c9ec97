/** One problem with topology input, located by a field path such as `nodes[3].name`. */
export interface ValidationIssue {
  path: string;
  message: string;
  /** The nodes whose modules this problem holds back (a consistency problem of a state); absent for input errors. */
  hosts?: string[];
}

/** Topology input refused; the message lists every problem as `path: problem`, one per line. */
export class TopologyValidationError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n'));
    this.name = 'TopologyValidationError';
  }
}

/** Collects issues while a validator walks the input. */
export class IssueList {
  readonly issues: ValidationIssue[] = [];

  add(path: string, message: string, hosts?: string[]): void {
    this.issues.push(hosts ? { path, message, hosts } : { path, message });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new TopologyValidationError(this.issues);
  }
}
