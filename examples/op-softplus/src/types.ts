// softplus joins the op attrs by declaration merging, so apply('softplus', ...) is typed like a built-in.
declare module '@paradox/ir' {
  interface OpAttrs {
    softplus: Record<string, never>;
  }
}

export {};
