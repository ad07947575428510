import type { TaskRow } from './task-row.ts';
import type { CsvColumn } from './write-csv.ts';

/** The CSV columns of a tasks export, in the order of the JSON rows. */
export const taskCsvColumns: CsvColumn<TaskRow>[] = [
  { label: 'step', value: (row) => row.step },
  { label: 'taskId', value: (row) => row.taskId },
  { label: 'pathspec', value: (row) => row.pathspec },
  { label: 'foreachIndex', value: (row) => row.foreachIndex },
  { label: 'attempt', value: (row) => row.attempt },
  { label: 'status', value: (row) => row.status },
  { label: 'createdAt', value: (row) => row.createdAt },
  { label: 'finishedAt', value: (row) => row.finishedAt },
  { label: 'durationSeconds', value: (row) => row.durationSeconds },
  { label: 'finished', value: (row) => row.finished },
  { label: 'successful', value: (row) => row.successful },
];
