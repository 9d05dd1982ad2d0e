import type { RunDetail } from '@danlu/contracts';
import BuildOutlined from '@mui/icons-material/BuildOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { monoFontFamily } from '../../theme/theme.js';
import { textIn } from '../expert/text.js';
import { runAction, showNewRun } from './runActions.js';

/** Why the run failed, the log line that proves it, and the fixes (a patch = a button that queues a copy). */
export function DiagnosisCard({ run }: { run: RunDetail }) {
  const { t, i18n } = useTranslation('runs');
  const diagnosis = run.diagnosis;
  if (!diagnosis) return null;
  return (
    <Alert
      severity="error"
      icon={<ErrorOutline />}
      data-testid="run-diagnosis"
      data-code={diagnosis.code}
      sx={{ '& .MuiAlert-message': { minWidth: 0, flex: 1 } }}
    >
      <AlertTitle sx={{ fontWeight: 700 }}>
        {textIn(diagnosis.title, i18n.language)}
        {run.exitCode !== null && (
          <Typography component="span" variant="caption" sx={{ ml: 1, opacity: 0.8 }}>
            {t('diagnosis.exitCode', { code: run.exitCode })}
          </Typography>
        )}
      </AlertTitle>
      <Typography variant="body2" sx={{ mb: 1.5 }}>
        {textIn(diagnosis.explanation, i18n.language)}
      </Typography>
      {diagnosis.evidence !== '' && (
        <Box sx={{ mb: 1.5 }}>
          <Typography variant="caption" sx={{ fontWeight: 600 }}>
            {t('diagnosis.evidence')}
          </Typography>
          <Box
            component="pre"
            translate="no"
            data-testid="run-diagnosis-evidence"
            sx={{
              m: 0,
              mt: 0.5,
              p: 1,
              borderRadius: 1,
              bgcolor: 'action.hover',
              fontFamily: monoFontFamily,
              fontSize: '0.8125rem',
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-word',
              maxHeight: 160,
              overflow: 'auto',
            }}
          >
            {diagnosis.evidence}
          </Box>
        </Box>
      )}
      {diagnosis.fixes.length > 0 && (
        <>
          <Typography variant="caption" sx={{ fontWeight: 600 }}>
            {t('diagnosis.fixes')}
          </Typography>
          <Stack spacing={0.75} sx={{ mt: 0.5 }}>
            {diagnosis.fixes.map((fix) => (
              <Stack
                key={fix.id}
                direction="row"
                spacing={1}
                sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}
              >
                <Typography variant="body2" sx={{ flex: '1 1 240px', minWidth: 0 }}>
                  • {textIn(fix.label, i18n.language)}
                </Typography>
                {fix.patch && (
                  <Button
                    size="small"
                    variant="outlined"
                    color="inherit"
                    data-testid={`run-fix-${fix.id}`}
                    startIcon={<BuildOutlined fontSize="small" />}
                    onClick={() => {
                      void runAction(
                        'runs.applyFix',
                        { id: run.id, fixId: fix.id },
                        t('diagnosis.applied'),
                      ).then((created) => {
                        if (created) void showNewRun(created.id);
                      });
                    }}
                  >
                    {t('diagnosis.apply')}
                  </Button>
                )}
              </Stack>
            ))}
          </Stack>
        </>
      )}
    </Alert>
  );
}
