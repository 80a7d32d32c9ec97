import type { ProjectContext, ProjectReportDescriptor } from '@nixforge/core';

/** A project finding worded by one of the rule's `meta.messages` (`messages` is the rule's table). */
export type DepsReportDescriptor<M extends Record<string, string>> = Omit<ProjectReportDescriptor, 'message' | 'messageId'> & {
  messageId: keyof M & string;
};

/**
 * Reports a project finding by `messageId`; `messages` must be the rule's `meta.messages` (core fills the text
 * from it). Taking the table here makes a misspelled messageId a type error.
 */
export function reportMessage<M extends Record<string, string>>(project: ProjectContext<any, any>, _messages: M, descriptor: DepsReportDescriptor<M>): void {
  project.report(descriptor);
}
