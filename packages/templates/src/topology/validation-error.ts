/** One problem with topology input, located by a field path such as `nodes[3].name`. */
export interface ValidationIssue {
  path: string;
  message: string;
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

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new TopologyValidationError(this.issues);
  }
}
