export { Chart } from './Chart';
export type { ChartSpecDto } from '../../../../preload/contract';
