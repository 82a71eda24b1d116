/** IR text with the lines a pass changed highlighted. */
export function renderIr(host: HTMLElement, text: string, changed: ReadonlySet<number>): void {
  host.replaceChildren(
    ...text.split('\n').map((line, i) => {
      const div = document.createElement('div');
      div.textContent = line;
      if (changed.has(i)) div.className = 'changed';
      return div;
    }),
  );
}
