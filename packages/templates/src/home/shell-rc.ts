/** What a `.bashrc`/`.zshrc` holds that Home Manager has options for; everything else stays as init text. */
export interface ShellRc {
  aliases: Record<string, string>;
  variables: Record<string, string>;
  /** The remaining lines, in order (comments included), for `initExtra` / `initContent`. */
  initText: string;
}

/** Unquotes one shell word: 'single', "double" (with \\ escapes), or bare; undefined when it is more than one word. */
export function unquoteShellWord(text: string): string | undefined {
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  if (/^"([^"\\$`]|\\.)*"$/.test(text)) return text.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  if (/^[^\s'"\\$`;&|<>()]+$/.test(text)) return text;
  return undefined;
}

const BLOCK_OPEN = /^(if|case|for|while|until|select)\b|\{\s*$|\bdo\s*$|\bthen\s*$/;
const BLOCK_CLOSE = /^(fi|esac|done|\})\b/;

/**
 * Splits an rc file into aliases, exports and the rest. Only top-level lines are lifted out (lines inside `if`,
 * functions, loops and continued lines stay in the init text), and only plain values: anything that needs the
 * shell to expand it stays too.
 */
export function parseShellRc(text: string): ShellRc {
  const aliases: Record<string, string> = {};
  const variables: Record<string, string> = {};
  const rest: string[] = [];
  let depth = 0;
  let continued = false;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const trimmed = line.trim();
    const wasContinued = continued;
    continued = trimmed.endsWith('\\');
    if (depth === 0 && !wasContinued && !continued) {
      const alias = /^alias\s+([^\s=]+)=(.*)$/.exec(trimmed);
      const value = alias ? unquoteShellWord(alias[2]!) : undefined;
      if (alias && value !== undefined && !/[\s=]/.test(alias[1]!)) {
        aliases[alias[1]!] = value;
        continue;
      }
      const exported = /^export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
      const exportedValue = exported ? unquoteShellWord(exported[2]!) : undefined;
      if (exported && exportedValue !== undefined && !exportedValue.includes('$')) {
        variables[exported[1]!] = exportedValue;
        continue;
      }
    }
    if (!trimmed.startsWith('#')) {
      if (BLOCK_CLOSE.test(trimmed)) depth = Math.max(0, depth - 1);
      if (BLOCK_OPEN.test(trimmed) && !/\b(fi|done|esac)\s*;?\s*$/.test(trimmed) && !/\}\s*;?\s*$/.test(trimmed)) depth += 1;
    }
    rest.push(line);
  }
  while (rest.length > 0 && rest[rest.length - 1]!.trim() === '') rest.pop();
  while (rest.length > 0 && rest[0]!.trim() === '') rest.shift();
  return { aliases, variables, initText: rest.length > 0 ? `${rest.join('\n')}\n` : '' };
}
