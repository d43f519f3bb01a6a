"""The profile's routes, one module per part of the contract, each adding its routes to the app
(`add_routes(app)`; a route finds the store on `request.app.state`) rather than through
`include_router`: FastAPI keeps an included router as one opaque route, which the 405 answer's
`Allow` and vendor mode's route list cannot see."""
