import ErrorOutlined from '@mui/icons-material/ErrorOutlined';
import ExpandMoreOutlined from '@mui/icons-material/ExpandMoreOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import type { FindingFix, FindingRow } from '@danlu/contracts';

import { SectionCard } from '../../components/SectionCard.js';
import type { CheckResult } from '../../stores/datasetStore.js';
import { pick } from './text.js';

const icons = {
  error: <ErrorOutlined color="error" fontSize="small" />,
  warning: <WarningAmberOutlined color="warning" fontSize="small" />,
  info: <InfoOutlined color="info" fontSize="small" />,
};

const shownFiles = 12;

/** Every finding with its files, the reason, and the one-click way out where there is one. */
export function ChecksCard({
  checks,
  onFix,
}: {
  checks: CheckResult | undefined;
  onFix: (fix: FindingFix['kind'], finding: FindingRow) => void;
}) {
  const { t, i18n } = useTranslation('dataset');
  const lang = i18n.language;
  return (
    <SectionCard
      title={t('checks.title')}
      icon={<FactCheckOutlined />}
      aside={
        checks && (
          <Stack direction="row" spacing={1}>
            <Chip
              size="small"
              color="error"
              variant="outlined"
              label={t('checks.errors', { count: checks.counts.error })}
            />
            <Chip
              size="small"
              color="warning"
              variant="outlined"
              label={t('checks.warnings', { count: checks.counts.warning })}
            />
            <Chip
              size="small"
              color="info"
              variant="outlined"
              label={t('checks.notes', { count: checks.counts.info })}
            />
          </Stack>
        )
      }
    >
      {!checks && <Typography color="text.secondary">{t('checks.loading')}</Typography>}
      {checks?.findings.length === 0 && <Alert severity="success">{t('checks.allGood')}</Alert>}
      {checks && !checks.deep && checks.findings.length > 0 && (
        <Typography variant="body2" color="text.secondary">
          {t('checks.quickNote')}
        </Typography>
      )}
      <Stack data-testid="dataset-findings">
        {checks?.findings.map((finding) => (
          <Accordion key={finding.id} disableGutters variant="outlined" data-finding={finding.id}>
            <AccordionSummary expandIcon={<ExpandMoreOutlined />}>
              <Stack direction="row" spacing={1.25} sx={{ alignItems: 'center', minWidth: 0, flex: 1 }}>
                {icons[finding.severity]}
                <Typography sx={{ fontWeight: 500 }}>{pick(finding.title, lang)}</Typography>
                <Chip size="small" label={finding.files.length || 1} />
              </Stack>
            </AccordionSummary>
            <AccordionDetails>
              <Stack spacing={1}>
                <Typography variant="body2">{pick(finding.message, lang)}</Typography>
                {finding.details.length > 1 && (
                  <Stack component="ul" sx={{ m: 0, pl: 2.5 }} spacing={0.25}>
                    {finding.details.slice(0, shownFiles).map((d, i) => (
                      <Typography component="li" variant="body2" key={i} sx={{ wordBreak: 'break-all' }}>
                        <strong>{d.files.join(', ')}</strong> — {pick(d.message, lang)}
                      </Typography>
                    ))}
                  </Stack>
                )}
                {finding.details.length <= 1 && finding.files.length > 0 && (
                  <Typography variant="body2" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
                    {finding.files.slice(0, shownFiles).join(' · ')}
                  </Typography>
                )}
                {finding.files.length > shownFiles && (
                  <Typography variant="caption" color="text.secondary">
                    {t('checks.more', { count: finding.files.length - shownFiles })}
                  </Typography>
                )}
                {finding.fixes.length > 0 && (
                  <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
                    {finding.fixes.map((fix) => (
                      <Button
                        key={fix.kind}
                        size="small"
                        variant="outlined"
                        onClick={() => {
                          onFix(fix.kind, finding);
                        }}
                        data-fix={fix.kind}
                      >
                        {pick(fix.label, lang)}
                      </Button>
                    ))}
                  </Stack>
                )}
              </Stack>
            </AccordionDetails>
          </Accordion>
        ))}
      </Stack>
    </SectionCard>
  );
}
