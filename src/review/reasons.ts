/**
 * Reasons a reviewer can give with a verdict. One list for the CLI and the page,
 * so the stats page can count them (free text would split one reason into many).
 */
export const REVIEW_REASONS = [
  { id: 'interpenetration', label: 'Interpenetration (objects pass through each other)' },
  { id: 'implausible-pose', label: 'Implausible pose' },
  { id: 'outside-container', label: 'Animal outside the container' },
  { id: 'label-wrong', label: 'Label wrong (box, mask or species)' },
  { id: 'unrealistic-clutter', label: 'Unrealistic clutter' },
  { id: 'image-artefact', label: 'Image artefact' },
  { id: 'other', label: 'Other (say why in the note)' },
] as const;

export type ReviewReason = (typeof REVIEW_REASONS)[number]['id'];

export const REVIEW_REASON_IDS: readonly string[] = REVIEW_REASONS.map((r) => r.id);
