import ExpandMoreOutlined from '@mui/icons-material/ExpandMoreOutlined';
import HelpOutlineOutlined from '@mui/icons-material/HelpOutlineOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { monoFontFamily } from '../../theme/theme.js';
import { Term } from '../environment/Term.js';
import { filterProblems, problemIds, type ProblemText } from './problems.js';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', fontWeight: 600 }}>
        {label}
      </Typography>
      {children}
    </Box>
  );
}

/** The searchable list of common failures: the log words a user sees, what they mean, what to do. */
export function ProblemList() {
  const { t, i18n } = useTranslation('environment');
  const [query, setQuery] = useState('');
  const problems = useMemo<ProblemText[]>(
    () =>
      problemIds.map((id) => ({
        id,
        title: t(`trouble.problems.items.${id}.title`),
        symptom: t(`trouble.problems.items.${id}.symptom`),
        meaning: t(`trouble.problems.items.${id}.meaning`),
        remedy: t(`trouble.problems.items.${id}.remedy`),
      })),
    // The texts change with the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, i18n.language],
  );
  const shown = filterProblems(problems, query);
  return (
    <SectionCard
      title={t('trouble.problems.title')}
      icon={<HelpOutlineOutlined />}
      aside={
        <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="trouble-problem-count">
          {t('trouble.problems.count', { count: shown.length })}
        </Typography>
      }
    >
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        <Term id="logSymptom" />
        {'  '}
        {t('trouble.problems.intro')}
      </Typography>
      <TextField
        size="small"
        fullWidth
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
        }}
        label={t('trouble.problems.search')}
        slotProps={{
          htmlInput: { 'data-testid': 'trouble-problem-search', spellCheck: false },
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchOutlined fontSize="small" />
              </InputAdornment>
            ),
          },
        }}
      />
      {shown.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="trouble-problem-none">
          {t('trouble.problems.none')}
        </Typography>
      ) : (
        <Box>
          {shown.map((problem) => (
            <Accordion
              key={problem.id}
              disableGutters
              variant="outlined"
              data-testid={`trouble-problem-${problem.id}`}
              slotProps={{ transition: { unmountOnExit: true } }}
            >
              <AccordionSummary expandIcon={<ExpandMoreOutlined />}>
                <Box sx={{ minWidth: 0 }}>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {problem.title}
                  </Typography>
                  <Typography
                    variant="caption"
                    component="p"
                    title={t('trouble.problems.symptom')}
                    translate="no"
                    sx={{ color: 'text.secondary', fontFamily: monoFontFamily, overflowWrap: 'anywhere' }}
                  >
                    {problem.symptom}
                  </Typography>
                </Box>
              </AccordionSummary>
              <AccordionDetails>
                <Stack spacing={1.25}>
                  <Field label={t('trouble.problems.meaning')}>
                    <Typography variant="body2">{problem.meaning}</Typography>
                  </Field>
                  <Field label={t('trouble.problems.remedy')}>
                    <Typography variant="body2">{problem.remedy}</Typography>
                  </Field>
                </Stack>
              </AccordionDetails>
            </Accordion>
          ))}
        </Box>
      )}
    </SectionCard>
  );
}
