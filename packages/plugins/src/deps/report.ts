import { fillMessage, type ProjectContext, type ProjectReportDescriptor } from '@nixforge/core';

/** A project finding worded by one of the rule's `meta.messages`. */
export type DepsReportDescriptor<M extends Record<string, string>> = Omit<ProjectReportDescriptor, 'message'> & {
  messageId: keyof M & string;
  data?: Record<string, string | number>;
};

/**
 * Reports a project finding with the text of `messages[messageId]` filled from `data`, so a deps rule's wording
 * lives in its `meta.messages`. Project reports carry a `message` only (core's `ProjectReportDescriptor` has no
 * `messageId` yet), so the findings have no `messageId` field.
 */
export function reportMessage<M extends Record<string, string>>(
  project: ProjectContext<any, any>,
  messages: M,
  descriptor: DepsReportDescriptor<M>,
): void {
  const { messageId, data, ...rest } = descriptor;
  project.report({ ...rest, message: fillMessage(messages[messageId]!, data) });
}
