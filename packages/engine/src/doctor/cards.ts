import { z } from 'zod';

import { TextSchema } from '@danlu/params';

export const DoctorStatusSchema = z.enum(['ok', 'warning', 'error']);
export type DoctorStatus = z.infer<typeof DoctorStatusSchema>;

/** One card on the 环境 page. `fix.id` names an action the UI (or CLI) knows how to run. */
export const DoctorCardSchema = z.object({
  id: z.string(),
  status: DoctorStatusSchema,
  title: TextSchema,
  detail: TextSchema,
  fix: z.object({ id: z.string(), label: TextSchema }).optional(),
});
export type DoctorCard = z.infer<typeof DoctorCardSchema>;

/** The worst status among the cards: what a summary badge shows. */
export function overallStatus(cards: DoctorCard[]): DoctorStatus {
  if (cards.some((card) => card.status === 'error')) return 'error';
  if (cards.some((card) => card.status === 'warning')) return 'warning';
  return 'ok';
}
