/** The coordinator's sections, loaded only when a coordinator opens one (a caregiver's phone never downloads them). */
export { LiveBoard } from './Board';
export { Clients } from './Clients';
export { Employees } from './Employees';
export { Report } from './Report';
export { ServiceCodes } from './ServiceCodes';
export { Settings } from './Settings';
export { Visits } from './Visits';
