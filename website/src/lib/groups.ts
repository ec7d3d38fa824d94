/** Group names as typed in one field: separated by commas or spaces. */
export const parseGroups = (text: string): string[] =>
  text.split(/[\s,]+/).filter((g) => g.length > 0);
