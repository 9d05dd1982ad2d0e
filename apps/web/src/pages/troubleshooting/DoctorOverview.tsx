import type { DoctorCardWire } from '@danlu/contracts';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import ExpandLessOutlined from '@mui/icons-material/ExpandLessOutlined';
import ExpandMoreOutlined from '@mui/icons-material/ExpandMoreOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import CircularProgress from '@mui/material/CircularProgress';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorDetails } from '../../components/ErrorDetails.js';
import { SectionCard } from '../../components/SectionCard.js';
import { useEnvironmentStore } from '../../stores/environmentStore.js';
import { selectNavigate, useNavigationStore } from '../../stores/navigationStore.js';
import { DoctorCardList } from '../environment/DoctorCards.js';
import { Term } from '../environment/Term.js';
import { useBilingual } from '../environment/text.js';

const severities = ['error', 'warning', 'ok'] as const;

/** The doctor's cards split by status, most severe first (a fix list reads top-down). */
export function groupBySeverity(
  cards: readonly DoctorCardWire[],
): Record<DoctorCardWire['status'], DoctorCardWire[]> {
  return {
    error: cards.filter((card) => card.status === 'error'),
    warning: cards.filter((card) => card.status === 'warning'),
    ok: cards.filter((card) => card.status === 'ok'),
  };
}

/** The environment check on the troubleshooting page: what is wrong first, each with its fix. */
export function DoctorOverview() {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const doctor = useEnvironmentStore((state) => state.doctor);
  const loading = useEnvironmentStore((state) => state.doctorLoading);
  const error = useEnvironmentStore((state) => state.doctorError);
  const activeId = useEnvironmentStore((state) => state.list?.activeId ?? null);
  const navigate = useNavigationStore(selectNavigate);
  const { runDoctor, probe } = useEnvironmentStore.getState();
  const onFix = (fixId: string) => {
    // A probe runs here; attaching and installing are forms on the Environment page.
    if (fixId === 'engine.probe' && activeId) void probe(activeId);
    else navigate('environment');
  };
  const groups = doctor ? groupBySeverity(doctor.cards) : undefined;
  // The passed checks matter less than what to fix: folded away until asked for.
  const [showPassed, setShowPassed] = useState(false);
  return (
    <SectionCard
      title={t('trouble.doctor.title')}
      icon={<FactCheckOutlined />}
      aside={
        <Button
          size="small"
          variant="outlined"
          data-testid="trouble-doctor-run"
          disabled={loading}
          startIcon={loading ? <CircularProgress size={14} color="inherit" /> : <RefreshOutlined />}
          onClick={() => void runDoctor(true)}
        >
          {loading ? t('trouble.doctor.checking') : t('doctor.run')}
        </Button>
      }
    >
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        <Term id="doctorCheck" />
        {'  '}
        {t('trouble.doctor.intro')}
      </Typography>
      {error && (
        <Alert severity="error">
          <ErrorDetails error={error} />
        </Alert>
      )}
      {doctor && groups ? (
        <>
          <Alert
            severity={doctor.status === 'ok' ? 'success' : doctor.status}
            data-testid="trouble-doctor-summary"
            data-checked-at={doctor.checkedAt}
            action={
              doctor.status === 'ok' ? undefined : (
                <Button
                  color="inherit"
                  size="small"
                  sx={{ whiteSpace: 'nowrap' }}
                  onClick={() => {
                    navigate('environment');
                  }}
                >
                  {t('trouble.doctor.openEnvironment')}
                </Button>
              )
            }
          >
            {doctor.status === 'ok' ? t('trouble.doctor.allOk') : say(doctor.summary)}
          </Alert>
          {severities.map((severity) => {
            const cards = groups[severity];
            if (cards.length === 0) return null;
            const heading = t(`trouble.doctor.groups.${severity}`, { count: cards.length });
            if (severity === 'ok')
              return (
                <Box key={severity} data-testid="trouble-group-ok">
                  <Button
                    size="small"
                    color="inherit"
                    data-testid="trouble-group-ok-toggle"
                    aria-expanded={showPassed}
                    endIcon={showPassed ? <ExpandLessOutlined /> : <ExpandMoreOutlined />}
                    sx={{ color: 'text.secondary', ml: -0.75, mb: showPassed ? 1 : 0 }}
                    onClick={() => {
                      setShowPassed(!showPassed);
                    }}
                  >
                    {heading}
                  </Button>
                  <Collapse in={showPassed} unmountOnExit>
                    <DoctorCardList cards={cards} onFix={onFix} />
                  </Collapse>
                </Box>
              );
            return (
              <Box key={severity} data-testid={`trouble-group-${severity}`}>
                <Typography variant="subtitle2" component="h3" sx={{ mb: 1, color: `${severity}.main` }}>
                  {heading}
                </Typography>
                <DoctorCardList cards={cards} onFix={onFix} />
              </Box>
            );
          })}
        </>
      ) : (
        !error && <Skeleton variant="rounded" height={96} />
      )}
    </SectionCard>
  );
}
