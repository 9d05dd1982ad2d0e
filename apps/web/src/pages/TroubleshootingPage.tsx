import Stack from '@mui/material/Stack';

import { PageRoot } from '../components/PageRoot.js';
import { useEnvironmentLive } from './environment/live.js';
import { BundleCard } from './troubleshooting/BundleCard.js';
import { DoctorOverview } from './troubleshooting/DoctorOverview.js';
import { ProblemList } from './troubleshooting/ProblemList.js';

/** 疑难解答: what the environment check found (worst first), the common failures explained, the bundle. */
export function TroubleshootingPage() {
  useEnvironmentLive();
  return (
    <PageRoot id="troubleshooting">
      <Stack spacing={2.5}>
        <DoctorOverview />
        <ProblemList />
        <BundleCard />
      </Stack>
    </PageRoot>
  );
}
