import type { ParamValue, RuleResult } from '@danlu/params';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';

import { textIn } from '../expert/text.js';

/** Rule results as alerts, each with its fix button when a value change repairs it. */
export function RuleList({
  results,
  onFix,
}: {
  results: readonly RuleResult[];
  onFix: (patch: Record<string, ParamValue | null>) => void;
}) {
  const { t, i18n } = useTranslation('wizard');
  return (
    <Stack spacing={1}>
      {results.map((r) => (
        <Alert
          key={r.id}
          severity={r.severity}
          data-testid={`wizard-rule-${r.id}`}
          action={
            r.fix ? (
              <Button
                color="inherit"
                size="small"
                data-testid={`wizard-fix-${r.id}`}
                onClick={() => {
                  if (r.fix) onFix(r.fix.patch);
                }}
              >
                {t('review.fix', { fix: textIn(r.fix.text, i18n.language) })}
              </Button>
            ) : undefined
          }
        >
          {textIn(r.text, i18n.language)}
        </Alert>
      ))}
    </Stack>
  );
}
