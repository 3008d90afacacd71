/**
 * Redaction of what the public sees, as enforcement publicity does it (行政执法公示: "except state
 * secrets, trade secrets, personal privacy"). An individual business (个体工商户, USCC category `92`) is
 * a natural person's business: on a published result its code is masked (keeping region and check
 * character) and its name reduced to its first two characters; names of natural persons (inspectors),
 * findings text and evidence are never published.
 *
 * The frozen pool and the drawn list keep full USCCs: registration codes are public registers, they
 * carry no personal data, and without them nobody could re-run the draw. Names on the drawn list are
 * masked like on results.
 */
export function publicUscc(uscc: string): string {
  return uscc.startsWith('92') ? `${uscc.slice(0, 8)}*********${uscc.slice(17)}` : uscc;
}

export function maskedName(name: string, entityType: string): string {
  if (entityType !== 'individual_business') return name;
  const chars = [...name];
  return `${chars.slice(0, 2).join('')}${'*'.repeat(Math.max(2, chars.length - 2))}`;
}
